namespace ElectionResults.Api.ReadModel;

/// <summary>
/// The newest committed data version this process knows of, when it first heard of it, and who is waiting for a newer
/// one. Fed by the <see cref="ChangeListener"/> (notifications of every instance's writes) and by this process's own
/// commits; when nobody vouches for it (<see cref="IsListening"/> false), readers ask the database instead.
/// </summary>
public sealed class VersionClock(TimeProvider time)
{
    private long _knownVersion;
    private long _knownSince = time.GetTimestamp();
    private volatile bool _listening;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// True while the change listener receives notifications, so that <see cref="KnownVersion"/> is current and a
    /// cached value as new as it may be served without a query.
    /// </summary>
    public bool IsListening => _listening;

    /// <summary>The newest data version this process has seen committed.</summary>
    public long KnownVersion => Interlocked.Read(ref _knownVersion);

    /// <summary>How long ago this process first heard of <see cref="KnownVersion"/> (or started, before it heard of any).</summary>
    public TimeSpan SinceNewestChange => time.GetElapsedTime(Interlocked.Read(ref _knownSince));

    /// <summary>Set by the change listener when it starts or stops receiving notifications.</summary>
    internal void SetListening(bool listening) => _listening = listening;

    /// <summary>Records a version seen committed; wakes the waiters when it is newer than any known.</summary>
    public void Observe(long version)
    {
        var current = Interlocked.Read(ref _knownVersion);
        while (version > current)
        {
            var seen = Interlocked.CompareExchange(ref _knownVersion, version, current);
            if (seen == current)
            {
                Interlocked.Exchange(ref _knownSince, time.GetTimestamp());
                Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// True once <paramref name="version"/> (or a newer one) has been seen, waiting up to <paramref name="timeout"/> for it;
    /// false when the timeout ends the wait first.
    /// </summary>
    public async Task<bool> WaitForVersionAsync(long version, TimeSpan timeout, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var known = KnownVersion;
            if (known >= version)
            {
                return true;
            }

            var left = timeout - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            await WaitForChangeAsync(known, left, ct);
        }
    }

    /// <summary>Completes when a version newer than <paramref name="version"/> is seen, or when the timeout or token ends the wait.</summary>
    public async Task WaitForChangeAsync(long version, TimeSpan timeout, CancellationToken ct)
    {
        var changed = Volatile.Read(ref _changed).Task;
        if (KnownVersion > version)
        {
            return;
        }

        try
        {
            await changed.WaitAsync(timeout, time, ct);
        }
        catch (TimeoutException)
        {
            // No change within the timeout: the caller answers with what it has.
        }
    }
}
