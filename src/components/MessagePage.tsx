import type { ReactNode } from 'react';
import { linkTo } from './richTags';

/** A page that only says something: a title and a sentence whose `<link>` leads to the runs. */
export function MessagePage({
  title,
  body,
}: {
  title: string;
  /** The sentence, given the tags its translation may use. */
  body: (tags: { link: (text: ReactNode) => ReactNode }) => ReactNode;
}) {
  return (
    <main className="mx-auto max-w-3xl px-4 py-16 text-center">
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-2 text-sm text-muted">{body({ link: linkTo('/sessions', 'text-accent hover:underline') })}</p>
    </main>
  );
}
