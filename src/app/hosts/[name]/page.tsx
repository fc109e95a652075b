import type { Metadata } from 'next';
import { HostView } from '@/components/hosts/HostView';

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).name) };
}

export default async function HostPage({ params }: Props) {
  return <HostView host={decodeURIComponent((await params).name)} />;
}
