import { createLogger } from '../../shared/adapters/logger';
import { createRuntime, setRuntime } from '../../shared/wiring/runtime';

/**
 * Replaces the process runtime with one whose logger writes into an array, so a test can
 * assert what the handlers logged. `restore()` goes back to a runtime built from process.env.
 */
export const captureLogs = (level: 'debug' | 'info' | 'warn' | 'error' = 'debug') => {
  const lines: string[] = [];
  const logger = createLogger(level, (line) => lines.push(line));
  setRuntime({ ...createRuntime(process.env), logger });
  return {
    lines,
    text: () => lines.join('\n'),
    parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    restore: () => setRuntime(undefined),
  };
};
