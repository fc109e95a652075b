/** A table's header row; a column without a label heads the row actions. */
import type { ReactNode } from 'react';

export type Column = { label?: ReactNode; className?: string };

/** Columns that share a class. */
export const columns = (className: string | undefined, ...labels: ReactNode[]): Column[] =>
  labels.map((label) => ({ label, className }));

export function TableHead({ className, cols }: { className?: string; cols: Column[] }) {
  return (
    <thead className={className}>
      <tr>
        {cols.map((c, i) => (
          <th key={i} className={c.className}>
            {c.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
