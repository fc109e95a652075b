import Link from 'next/link';
import type { ReactNode } from 'react';

// Tags of translated sentences (`t.rich`): the words a translation wraps in `<link>` or `<code>`.

/** `<link>`: the words lead to `href`. */
export const linkTo = (href: string, className: string) =>
  function RichLink(text: ReactNode) {
    return (
      <Link href={href} className={className}>
        {text}
      </Link>
    );
  };

/** `<code>`: the words are code, kept as written in every language. */
export const codeTag = (className: string) =>
  function RichCode(text: ReactNode) {
    return <code className={className}>{text}</code>;
  };
