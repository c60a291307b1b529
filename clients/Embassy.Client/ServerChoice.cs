namespace Embassy.Client;

/// <summary>Which of the servers the app uses, since when, and in which run of the app it was chosen.</summary>
/// <param name="Index">The server's place in <see cref="ServerPolicyOptions.Servers"/> (0 for the first).</param>
/// <param name="ChosenAt">When it was chosen (or switched to).</param>
/// <param name="RunId">The app run that chose it: a restarted app chooses again.</param>
public sealed record ServerChoice(int Index, DateTimeOffset ChosenAt, Guid RunId);

/// <summary>Where the choice is kept (app preferences on a phone). Implementations must be thread-safe.</summary>
public interface IServerChoiceStore
{
    /// <summary>The stored choice, or null.</summary>
    ServerChoice? Load();

    /// <summary>Stores the choice.</summary>
    void Save(ServerChoice choice);
}

/// <summary>Keeps the choice in memory (the default; a phone app would keep it in its preferences).</summary>
public sealed class InMemoryServerChoiceStore : IServerChoiceStore
{
    private ServerChoice? _choice;

    /// <inheritdoc />
    public ServerChoice? Load() => Volatile.Read(ref _choice);

    /// <inheritdoc />
    public void Save(ServerChoice choice) => Volatile.Write(ref _choice, choice);
}
