import { describe, expect, it } from 'vitest';
import { TallySync } from '../src/tally-sync.js';

// Which scenes a tally must reconcile with Discord: only those that could have changed unseen.

describe('TallySync', () => {
	it('a scene posted by this process is in sync; one it never saw is not', () => {
		const sync = new TallySync();
		sync.posted('1');
		expect(sync.isSynced('1')).toBe(true);
		expect(sync.isSynced('2')).toBe(false);
	});

	it('a reconciliation overtaken by a reaction event does not mark the scene in sync', () => {
		const sync = new TallySync();
		const before = sync.version('1');
		sync.sawEvent('1', 'add');
		sync.reconciled('1', before, false);
		expect(sync.isSynced('1')).toBe(false);
		sync.reconciled('1', sync.version('1'), false);
		expect(sync.isSynced('1')).toBe(true);
	});

	it('a removal on a scene holding super reactions needs Discord again (the reader may hold the other kind); elsewhere it is exact', () => {
		const sync = new TallySync();
		sync.posted('plain');
		sync.sawEvent('plain', 'add');
		sync.sawEvent('plain', 'remove');
		expect(sync.isSynced('plain')).toBe(true);

		sync.posted('super');
		sync.sawEvent('super', 'add', true);
		sync.sawEvent('super', 'clear');
		expect(sync.isSynced('super')).toBe(true);
		sync.sawEvent('super', 'remove', true);
		expect(sync.isSynced('super')).toBe(false);

		sync.reconciled('mixed', sync.version('mixed'), true);
		sync.sawEvent('mixed', 'remove', false);
		expect(sync.isSynced('mixed')).toBe(false);
	});

	it('a reaction before the post was recorded as posted leaves it to reconciliation', () => {
		const sync = new TallySync();
		sync.sawEvent('1', 'add', true);
		sync.posted('1');
		expect(sync.isSynced('1')).toBe(false);
	});

	it('a reconciliation that spans a new gateway session does not count (events in the gap may be lost)', () => {
		const sync = new TallySync();
		const before = sync.version('1');
		sync.forgetAll();
		sync.reconciled('1', before, false);
		expect(sync.isSynced('1')).toBe(false);
	});

	it('a failed write or a new gateway session forgets; the memory is bounded', () => {
		const sync = new TallySync(2);
		sync.posted('1');
		sync.posted('2');
		sync.forget('1');
		expect([sync.isSynced('1'), sync.isSynced('2')]).toEqual([false, true]);
		sync.forgetAll();
		expect(sync.isSynced('2')).toBe(false);
		for (const id of ['a', 'b', 'c']) sync.posted(id);
		expect(['a', 'b', 'c'].map((id) => sync.isSynced(id))).toEqual([false, true, true]);
	});
});
