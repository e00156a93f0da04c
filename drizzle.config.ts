import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate` to turn schema changes into a new committed SQL migration.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/platform/db/schema.ts', './src/modules/*/*.tables.ts'],
  out: './src/platform/db/migrations',
});
