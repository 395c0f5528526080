import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './e2e/harness.js';

// .ci/run runs the suite twice, on Node 20 and on Node 24 (SFB_EXPECT_NODE_MAJOR says which): this
// proves each pass really ran on the Node it names, down to the processes the tests start.

const engines = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

/** Whether `version` (x.y.z) is in an engines range of the form `^a.b.c || ^d.e.f`. */
function inEngines(version: string, range: string): boolean {
	const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
	return range.split('||').some((part) => {
		const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(part.trim());
		if (!match) throw new Error(`package.json engines.node: "${part.trim()}" is not of the form ^x.y.z`);
		const [wantMajor, wantMinor, wantPatch] = match.slice(1).map(Number) as [number, number, number];
		return major === wantMajor && (minor > wantMinor || (minor === wantMinor && patch >= wantPatch));
	});
}

describe('the Node this suite runs on', () => {
	it('is one package.json\'s engines accepts, and the one CI asked for; so are the node processes the tests and npm start', () => {
		expect(inEngines(process.versions.node, engines)).toBe(true);
		const expected = process.env['SFB_EXPECT_NODE_MAJOR'];
		if (expected) expect(process.versions.node.split('.')[0]).toBe(expected);
		// A child as the e2e tests start it (process.execPath), and `node` as npm's scripts find it on PATH.
		expect(execFileSync(process.execPath, ['--version'], { encoding: 'utf8' }).trim()).toBe(process.version);
		expect(execFileSync('node', ['--version'], { encoding: 'utf8' }).trim()).toBe(process.version);
		// better-sqlite3 is built for this Node's ABI (a mismatch throws ERR_DLOPEN_FAILED here).
		expect(execFileSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close(); console.log('ok')"], { encoding: 'utf8', cwd: PROJECT_ROOT }).trim()).toBe('ok');
	});

	it('engines names Node 20, 22 and 24, and not 21 or 23', () => {
		expect(['20.17.0', '22.12.0', '24.0.0', '24.22.3'].map((v) => inEngines(v, engines))).toEqual([true, true, true, true]);
		expect(['20.16.0', '21.7.0', '23.1.0', '18.20.0'].map((v) => inEngines(v, engines))).toEqual([false, false, false, false]);
	});
});
