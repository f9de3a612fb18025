// Unit tests of the page's router (src/corridors/render/assets/js/lab.js), run with
// Node's built-in test runner: `node --test tests/js/` (.ci/run does). A small network
// written here checks the rules one by one; the bundled network, exported by Python when
// `python` can import corridors, checks one route against `corridors route --json`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const core = require('../../src/corridors/render/assets/js/lab.js');

// a (PAK) - x (border crossing) - c (AFG) is short; a - y (IRN) - c is long; p - q by sea
// through Hormuz; two equally fast parallel roads c - e (ids sort "e-b" < "e-c").
function network(extra = {}) {
  return {
    v: 1, scenario: 'test', date: null, transfer_h: 12, gauge_h: 24, sea_kmh: 30, circuity_warn: 2,
    land: ['pipeline', 'power_line', 'rail', 'road'], choke: 'chokepoint', toml: ['status = "proposed"'],
    nodes: [
      ['a', 'Alpha', 'PAK', 'city', 66.0, 30.0],
      ['x', 'Crossing', 'PAK', 'border_crossing', 66.5, 30.5, ['AFG', 'PAK']],
      ['c', 'Charlie', 'AFG', 'city', 67.0, 31.0],
      ['y', 'Yankee', 'IRN', 'city', 64.0, 30.0],
      ['p', 'Port P', 'PAK', 'seaport', 66.0, 25.0],
      ['q', 'Port Q', 'ARE', 'seaport', 55.0, 25.0],
      ['e', 'Echo', 'AFG', 'city', 68.0, 32.0],
    ],
    segs: [
      ['s-ax', 'road', 'operational', [1], []],
      ['s-xc', 'road', 'operational', [1], [['svc', 'Bus — operational']]],
      ['s-ay', 'road', 'operational', [], []],
      ['s-yc', 'road', 'operational', [], []],
      ['s-pq', 'sea', 'operational', [], []],
      ['s-ap', 'road', 'operational', [], []],
      ['e-c', 'road', 'operational', [], []],
      ['e-b', 'road', extra.bStatus || 'operational', [], []],
    ],
    pieces: [
      [0, 0, 0, 1, 0, 1.0, 50.0, null, ['PAK'], [], 0],
      [1, 0, 1, 2, 0, 2.5, 60.0, null, ['PAK', 'AFG'], [], 0],
      [2, 0, 0, 3, 0, 4.0, 200.0, null, ['PAK', 'IRN'], [], 0],
      [3, 0, 3, 2, 0, 4.0, 200.0, null, ['IRN', 'AFG'], [], 0],
      [4, 0, 4, 5, 0, 40.0, 1200.0, null, ['PAK', 'ARE'], ['hormuz'], 0, [[['hormuz'], null, []]]],
      [5, 0, 0, 4, 0, 3.0, 120.0, null, ['PAK'], [], 0],
      [6, 0, 2, 6, 0, 2.0, 90.0, null, ['AFG'], [], 0],
      [7, 0, 2, 6, extra.bStatus === 'proposed' ? 3 : 0, 2.0, 90.0, null, ['AFG'], [], 0],
    ],
    passages: [['hormuz', 'Strait of Hormuz', 'strait_of_hormuz', [], ['ormuz', 'strait_of_hormuz'], 'ormuz']],
  };
}

const lab = new core.Lab(network());

test('fastest route: pieces, totals in order, countries and the border node', () => {
  const r = lab.route('a', 'c').routes[0];
  assert.deepEqual(r.segments, ['s-ax', 's-xc']);
  assert.equal(r.hours, 1.0 + 2.5);
  assert.equal(r.length_km, 110.0);
  assert.deepEqual(r.countries, ['PAK', 'AFG']);
  assert.deepEqual(r.border_crossings, [{ from: 'PAK', to: 'AFG', at: 'x', mode: 'road', segment: 's-xc' }]);
  assert.deepEqual(r.legs[1].services, [{ id: 'svc', label: 'Bus — operational' }]);
});

test('names and prefixes find places as find_node does', () => {
  assert.equal(lab.find('ALPHA'), 'a');
  assert.equal(lab.find('Port Q'), 'q');
  assert.throws(() => lab.find('Port'), /ambiguous/);
  assert.throws(() => lab.find('Zulu'), /unknown place/);
});

test('closing the border closes its crossing and the pieces across it', () => {
  const r = lab.route('a', 'c', { close: ['border:PAK-AFG'] }).routes[0];
  assert.deepEqual(r.segments, ['s-ay', 's-yc']);
  const closed = lab.closed(['AFG-PAK']);
  assert.deepEqual(Object.keys(closed).sort(), ['s-ax#0', 's-xc#0']);
  assert.ok(closed['s-ax#0'].includes('border AFG-PAK'));
});

test('no route names the closures that cut it', () => {
  const res = lab.route('a', 'c', { close: ['border:AFG-PAK', 'country:IRN'] });
  assert.deepEqual(res.routes, []);
  assert.match(res.error, /no route from Alpha \(a\) to Charlie \(c\)/);
  assert.match(res.error, /border:AFG-PAK, country:IRN/);
  const cut = lab.route('a', 'c', { close: ['node:a'] });
  assert.match(cut.error, /Alpha is cut off: every link at it is closed \(node a\)/);
});

test('a closed passage closes the sea leg that has no other way', () => {
  assert.deepEqual(lab.route('a', 'q').routes[0].segments, ['s-ap', 's-pq']);
  const res = lab.route('a', 'q', { close: ['passage:Ormuz'] });
  assert.match(res.error, /passage:hormuz/);
  assert.ok(lab.closed(['hormuz'])['s-pq#0'][0].startsWith('no sea route with passage hormuz'));
});

test('equally fast routes: the more built piece wins, then the id that sorts first', () => {
  assert.deepEqual(lab.route('c', 'e').routes[0].segments, ['e-b']);
  const lab2 = new core.Lab(network({ bStatus: 'proposed' }));
  assert.deepEqual(lab2.route('c', 'e').routes[0].segments, ['e-c']);
});

test('closure items: tags, bare items, aliases and errors', () => {
  assert.deepEqual(lab.closureTags(['AFG-PAK', 'border:pak-afg', 'ormuz', 'IRN', 's-ax', 'x']),
    ['border:AFG-PAK', 'country:IRN', 'node:x', 'passage:hormuz', 'segment:s-ax']);
  assert.throws(() => lab.parseClosure('segment:nope'), /unknown segment 'nope'/);
  assert.throws(() => lab.parseClosure('nothing'), /nothing to close called 'nothing'/);
  assert.throws(() => lab.parseClosure('passage:atlantis'), /unknown sea passage/);
  assert.match(lab.route('a', 'c', { close: ['bogus'] }).error, /nothing to close/);
});

test('alternatives by the penalty method say how they differ', () => {
  const res = lab.route('a', 'c', { k: 2 });
  assert.equal(res.routes.length, 2);
  assert.deepEqual(res.routes[1].segments, ['s-ay', 's-yc']);
  assert.deepEqual(res.routes[1].differs_by, ['through IRN']);
  assert.deepEqual(lab.route('a', 'c', { by: 'length_km' }).routes[0].segments, ['s-ax', 's-xc']);
});

test('integer costs round halves to even, as Python', () => {
  assert.equal(core.roundHalfEven(2.5), 2);
  assert.equal(core.roundHalfEven(3.5), 4);
  assert.equal(core.roundHalfEven(2.4999), 2);
  assert.equal(core.pyTuple(['rail', null, 'seg']), "('rail', None, 'seg')");
  assert.equal(core.pyTuple(['o']), "('o',)");
});

test('geodesic distance on WGS84', () => {
  // one degree of longitude on the equator: 111.319 km (a * pi / 180)
  assert.ok(Math.abs(core.geodesicKm(0, 0, 1, 0) - 111.31949079327357) < 1e-6);
});

const py = process.env.PYTHON || 'python';
const exported = spawnSync(py, ['-c',
  'import json,sys; from corridors.maps.lab import lab_network; from corridors.network.routing import default_atlas; ' +
  'json.dump(lab_network(default_atlas()), sys.stdout)'], { encoding: 'utf8', maxBuffer: 1 << 26 });

test('the bundled network routes as `corridors route --json`', { skip: exported.status !== 0 && 'corridors not importable' }, () => {
  const real = new core.Lab(JSON.parse(exported.stdout));
  const cli = spawnSync(py, ['-m', 'corridors.cli.main', 'route', 'gwadar_port', 'tashkent', '--close',
    'border:AFG-PAK,passage:hormuz', '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(cli.status, 0, cli.stderr);
  const want = JSON.parse(cli.stdout);
  const got = real.route('gwadar_port', 'tashkent', { close: ['border:AFG-PAK', 'passage:hormuz'] }).routes[0];
  assert.deepEqual(got.legs.map((l) => l.segment), want.legs.map((l) => l.segment));
  assert.equal(Math.round(got.length_km * 10) / 10, want.length_km);
  assert.equal(Math.round(got.hours * 100) / 100, want.hours);
  assert.deepEqual(got.countries, want.countries);
});
