// A rejected promise nobody awaited usually means a payload the fake Discord refused or a
// handler that threw after replying: fail the run loudly instead of passing quietly.
process.on('unhandledRejection', (reason) => {
	throw reason instanceof Error ? reason : new Error(String(reason));
});
