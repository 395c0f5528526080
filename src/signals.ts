/**
 * A repeat of the first stop signal within this long is the same request delivered twice, not a
 * second Ctrl-C: a terminal's Ctrl-C reaches npm and the bot (one process group), and npm forwards
 * its own copy to the bot; systemd's default KillMode=control-group signals npm and the bot alike.
 */
export const SAME_REQUEST_MS = 1_000;

export type SignalKind = 'first' | 'echo' | 'again';

/**
 * Classifies each stop signal a process receives: `first` starts a graceful stop; `echo` is the
 * same signal again within SAME_REQUEST_MS of the first (ignore it); `again` is any other later
 * signal, a person asking to stop now. `now` is a clock in milliseconds (injectable for tests).
 */
export function stopSignals(now: () => number = Date.now): (signal: string) => SignalKind {
	let first: { signal: string; at: number } | undefined;
	return (signal) => {
		if (!first) {
			first = { signal, at: now() };
			return 'first';
		}
		return signal === first.signal && now() - first.at < SAME_REQUEST_MS ? 'echo' : 'again';
	};
}
