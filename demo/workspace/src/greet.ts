/** Greets a gardener by name, with the time of day. */
export function greet(name: string, now: Date = new Date()): string {
  const hour = now.getHours();
  const part = hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening';
  return `Good ${part}, ${name}!`;
}

/** Greets everyone in a list, one line each. */
export function greetAll(names: string[]): string {
  return names.map((n) => greet(n)).join('\n');
}
