/** @type {import('next').NextConfig} */
const config = {
  // The routes' code lives in ../next-app (written once, built here by Next.js 15's webpack compiler).
  experimental: { externalDir: true },
  // No ESLint in this example; `pnpm typecheck` and Next's own type check still run.
  eslint: { ignoreDuringBuilds: true },
}

export default config
