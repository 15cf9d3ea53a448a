using BenchmarkDotNet.Running;
using Cep.Bench.W1;
using Cep.Bench.W2;
using Cep.Bench.W3;

namespace Cep.Bench;

/// <summary>Benchmark entry point: <c>dotnet run -c Release --project bench -- &lt;workload&gt;</c>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var workload = args.Length > 0 ? args[0].ToLowerInvariant() : "";
        var rest = args.Length > 1 ? args[1..] : [];
        switch (workload)
        {
            case "w1":
                return W1Runner.Run(rest);
            case "w1-profile":
                return W1Profile.Run(rest);
            case "w2":
                return W2Runner.Run(rest);
            case "w3":
                return W3Runner.Run(rest);
            case "bdn":
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest);
                return 0;

            // Further workloads get a case here and a folder of their own.
            default:
                Console.Error.WriteLine("usage: dotnet run -c Release --project bench -- <w1 | w1-profile | w2 | w3 | bdn [BenchmarkDotNet args]>");
                return 2;
        }
    }
}
