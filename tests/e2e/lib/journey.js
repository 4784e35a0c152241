// One person's path as a series of node:test subtests: each step runs only if the ones before
// it passed, and a step after a failure is reported as skipped, naming the step that failed.
//   const step = stepsOf(journey);
//   await step('opens the form', async () => { ... });
export function stepsOf(journey) {
  let broken = null;
  return (name, body) => journey.test(name, async (s) => {
    if (broken) {
      s.skip(`not run: "${broken}" failed`);
      return;
    }
    try {
      await body();
    } catch (error) {
      broken = name;
      throw error;
    }
  });
}
