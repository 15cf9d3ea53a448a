namespace Cep.HBaseRestServer;

/// <summary>Placeholder until the server lands.</summary>
internal static class ServerInfo
{
    public const string RestVersion = "0.0.3";
}
