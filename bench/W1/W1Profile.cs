namespace Cep.Bench.W1;

public static class W1Profile
{
    public static int Run(string[] args) => 0;
}
