namespace Cep.Connectors.HBase;

/// <summary>The storage cluster status a gateway reports at <c>/status/cluster</c>.</summary>
/// <param name="Regions">The number of regions.</param>
/// <param name="Requests">The number of requests.</param>
/// <param name="AverageLoad">The average number of regions per region server.</param>
/// <param name="LiveNodes">The live region servers.</param>
/// <param name="DeadNodes">The names of the dead region servers.</param>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record HBaseClusterStatus(
    int Regions, long Requests, double AverageLoad, IReadOnlyList<HBaseRegionServer> LiveNodes, IReadOnlyList<string> DeadNodes);

/// <summary>One live region server in an <see cref="HBaseClusterStatus"/>.</summary>
/// <param name="Name">The server name (host:port).</param>
/// <param name="StartCode">The server's start code.</param>
/// <param name="Requests">Its number of requests.</param>
/// <param name="HeapSizeMB">Its used heap, in MB.</param>
/// <param name="MaxHeapSizeMB">Its maximum heap, in MB.</param>
/// <param name="RegionNames">The names of its regions.</param>
/// <threadsafety>Immutable; safe to share.</threadsafety>
public sealed record HBaseRegionServer(string Name, long StartCode, long Requests, int HeapSizeMB, int MaxHeapSizeMB, IReadOnlyList<string> RegionNames);
