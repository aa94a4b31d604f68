// The dashboard's schedule against the design's exact numbers (../shared/design.md): 5,625 SNO an
// hour, x 0.6 a year (5,625, 3,375, 2,025, 1,215, 729, 437.4), then the 420 SNO tail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hourlyEmission, schedule } from "../../src/emission.js";

const SNO = 10n ** 18n;
const initial = 5625n * SNO;
const tail = 420n * SNO;

test("the hourly rate decays by 3/5 a year down to the tail", () => {
  const rates = [0, 1, 2, 3, 4, 5, 6, 50].map((y) => hourlyEmission(initial, tail, y));
  assert.deepEqual(rates, [5625n, 3375n, 2025n, 1215n, 729n, 4374n / 10n, 420n, 420n].map((r, i) =>
    i === 5 ? 4374n * SNO / 10n : r * SNO));
});

test("an 8-hour update emits 45,000 SNO in year one and 3,360 SNO at the tail", () => {
  const rows = schedule({ initial, tail, blocksPerHour: 600, blocksPerYear: 600 * 24 * 365, blocksPerUpdate: 4800, years: 8 });
  assert.equal(rows[0].perUpdate, 45_000n * SNO);
  assert.equal(rows[7].perUpdate, 3_360n * SNO);
  assert.equal(rows[0].perYear, 5625n * 24n * 365n * SNO);
  assert.equal(rows[1].supply, rows[0].perYear + rows[1].perYear);
});
