// The SNO emission schedule, computed as the rewards pallet computes it (pallets/rewards/src/
// emission.rs): an hourly rate that is multiplied by 3/5 (rounded down) at every anniversary until
// it would fall below the tail, which then holds forever.

export const DECAY = [3n, 5n];

/** The hourly rate in year `year` (0 is the first year), in the smallest unit. */
export function hourlyEmission(initial, tail, year) {
  let rate = initial;
  for (let y = 0; y < year; y++) {
    const next = (rate * DECAY[0]) / DECAY[1];
    if (next < tail) return tail;
    rate = next;
  }
  return rate > tail ? rate : tail;
}

/**
 * One row per year: the hourly rate, the emission of one state update (`blocksPerUpdate` blocks),
 * the year's emission and the supply at the year's end (`genesis` plus everything emitted).
 */
export function schedule({ initial, tail, blocksPerHour, blocksPerYear, blocksPerUpdate, genesis = 0n, years = 10 }) {
  const rows = [];
  let supply = genesis;
  for (let year = 0; year < years; year++) {
    const hourly = hourlyEmission(initial, tail, year);
    const perUpdate = (BigInt(blocksPerUpdate) * hourly) / BigInt(blocksPerHour);
    const perYear = (BigInt(blocksPerYear) * hourly) / BigInt(blocksPerHour);
    supply += perYear;
    rows.push({ year: year + 1, hourly, perUpdate, perYear, supply });
  }
  return rows;
}
