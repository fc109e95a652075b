/**
 * Collector labels: `--label rack=a3` (repeatable) and CVSM_LABELS="rack=a3,zone=b", carried
 * with every sample so the fleet page and /metrics can filter and group by them. Checked
 * here with the server's own rule, so a bad label stops the collector at start rather than
 * having every report refused.
 */
import { HOST_LABEL_NAME, systemSample } from '../shared/schemas/system';

const labelsSchema = systemSample.shape.labels.unwrap();

/** Parses `name=value` pairs (the command line's after the environment's); throws naming a bad one. */
export function parseLabels(pairs: string[]): Record<string, string> {
  const labels = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`label "${pair}": expected name=value`);
    const name = pair.slice(0, eq).trim();
    if (!HOST_LABEL_NAME.test(name)) throw new Error(`label "${name}": a label name is a letter, then letters, digits or _`);
    labels.set(name, pair.slice(eq + 1).trim());
  }
  const checked = labelsSchema.safeParse(Object.fromEntries(labels));
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new Error(`label ${issue.path.length ? `"${String(issue.path[0])}"` : ''}: ${issue.message}`.replace(/\s+:/, ':'));
  }
  return checked.data;
}

/** The pairs of CVSM_LABELS: comma-separated, blanks ignored. */
export const envLabelPairs = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
