namespace Embassy.Cms;

/// <summary>Runtime settings that are read from the environment only, set before the runtime reads them.</summary>
internal static class RuntimeTuning
{
    internal const string ArraysPerPartition = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>Call first thing in Main: the shared array pool reads its limits when it is first used.</summary>
    public static void Apply()
    {
        // Media bodies go out in 64 KiB chunks that the response pipe rents from the shared array pool, which by
        // default keeps 32 arrays of a size per core. 200 busy streams have about 400 chunks in flight, so most
        // rents made new arrays, which were promoted while in flight and then left in gen2 as garbage. Keeping up
        // to 256 per core (as many as are in use at once; the pool never allocates ahead) lowers peak memory and
        // collection work under saturation (measured: docs/adr/0003-media-and-video.md). An operator's own value wins.
        if (Environment.GetEnvironmentVariable(ArraysPerPartition) is null)
        {
            Environment.SetEnvironmentVariable(ArraysPerPartition, "256");
        }
    }
}
