/** A section of the settings page: its heading (named for the section's label), an action beside it, its body. */
import type { ReactNode } from 'react';

export function SettingsSection({
  id,
  title,
  action,
  children,
}: {
  id: string;
  title: ReactNode;
  action?: ReactNode;
  children: ReactNode;
}) {
  const heading = (
    <h2 id={id} className="font-semibold">
      {title}
    </h2>
  );
  return (
    <section aria-labelledby={id} className="rounded-xl border border-line bg-panel p-5">
      {action ? (
        <div className="flex items-center">
          {heading}
          {action}
        </div>
      ) : (
        heading
      )}
      {children}
    </section>
  );
}
