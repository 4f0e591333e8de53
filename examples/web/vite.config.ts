import { defineConfig } from "vite";

// The API's URL comes from VITE_PULSE_API_URL (or `?api=` on the page, see src/config.ts).
export default defineConfig({
  server: { host: "localhost", port: 5173 },
  preview: { host: "localhost", port: 4173 },
});
