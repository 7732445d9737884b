namespace ElectionResults.IntegrationTests.Infrastructure;

/// <summary>One event of a <c>text/event-stream</c> as a client reads it: its id, its type and its data line.</summary>
public sealed record SseEvent(string Id, string Event, string Data);

/// <summary>Reads the events of an event stream, as EventSource does (comment lines and heartbeats are passed over).</summary>
public static class ServerSentEvents
{
    /// <summary>The next whole event: the id, event and data lines up to the blank line that ends it.</summary>
    public static async Task<SseEvent> NextAsync(StreamReader reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? id = null, type = null, data = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0 && data is not null)
            {
                return new SseEvent(id!, type!, data);
            }

            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        throw new InvalidOperationException("The stream ended before an event arrived.");
    }
}
