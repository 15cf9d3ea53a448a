namespace Cep.Tests.Connectors.Faster;

/// <summary>A fresh temporary directory for FASTER stores, deleted (with everything in it) on dispose.</summary>
public sealed class FasterTestDirectory : IDisposable
{
    private int _next;

    public FasterTestDirectory() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "cep-faster-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Gets a new, not yet existing subdirectory path.</summary>
    public string NewStoreDirectory() => Path.Combine(Root, $"store-{Interlocked.Increment(ref _next)}");

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
