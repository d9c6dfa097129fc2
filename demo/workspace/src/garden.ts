export type Plant = { name: string; daysBetweenWatering: number; lastWatered: Date };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Plants that are due for water on `today`, most overdue first. */
export function dueForWater(plants: Plant[], today: Date): Plant[] {
  return plants
    .map((p) => ({ p, overdue: (today.getTime() - p.lastWatered.getTime()) / DAY_MS - p.daysBetweenWatering }))
    .filter(({ overdue }) => overdue >= 0)
    .sort((a, b) => b.overdue - a.overdue)
    .map(({ p }) => p);
}

/** Records that a plant was watered. Returns a new object; the input is not changed. */
export function water(plant: Plant, when: Date): Plant {
  return { ...plant, lastWatered: when };
}
