// Build-time only (Maven's generate-test-resources phase, after `npm ci`): turns Grafana's published
// dashboard model into JSON Schema files for the dashboards' tests (DashboardSchemaTest).
//
// Source: the npm package @grafana/schema (pinned in package.json and package-lock.json), whose
// TypeScript types Grafana generates from its CUE kinds: the dashboard (raw/dashboard/x, the classic
// JSON model with schemaVersion, panels, templating) and each panel plugin's options and field config
// (raw/composable/<panel>/panelcfg/x). ts-json-schema-generator (pinned) converts them; interfaces
// become objects with additionalProperties false, so a misspelt key fails validation.
//
// Usage: node generate.mjs OUTPUT_DIR
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGenerator } from 'ts-json-schema-generator';

const out = process.argv[2];
if (!out) {
  console.error('usage: node generate.mjs OUTPUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const types = 'node_modules/@grafana/schema/dist/types/raw';
const version = JSON.parse(readFileSync('node_modules/@grafana/schema/package.json', 'utf8')).version;

function generate(path, type, file) {
  let schema;
  try {
    schema = createGenerator({ path, type, skipTypeCheck: true, expose: 'export', topRef: true, jsDoc: 'extended' })
      .createSchema(type);
  } catch (e) {
    // geomap's types name MapLayerOptions twice (its own and the common one): inline every type instead
    if (e.constructor.name !== 'MultipleDefinitionsError') {
      throw e;
    }
    schema = createGenerator({ path, type, skipTypeCheck: true, expose: 'none', topRef: false, jsDoc: 'extended' })
      .createSchema(type);
  }
  schema.$comment = `@grafana/schema ${version}: ${path.replace('node_modules/', '')} ${type}`;
  writeFileSync(join(out, file), JSON.stringify(schema, null, 1));
}

generate(`${types}/dashboard/x/types.gen.d.ts`, 'Dashboard', 'dashboard.schema.json');
// the panel plugins the dashboards use; a panel type without a file here fails DashboardSchemaTest
const panels = ['timeseries', 'stat', 'table', 'heatmap', 'geomap', 'bargauge', 'barchart', 'statetimeline', 'text'];
for (const panel of panels) {
  const file = `${types}/composable/${panel}/panelcfg/x/types.gen.d.ts`;
  const source = readFileSync(file, 'utf8');
  generate(file, 'Options', `panel-${panel}.options.schema.json`);
  if (/^export interface FieldConfig\b/m.test(source)) {
    generate(file, 'FieldConfig', `panel-${panel}.fieldconfig.schema.json`);
  }
}
writeFileSync(join(out, 'VERSION'), `@grafana/schema ${version}\n`);
console.log(`Grafana schema ${version}: dashboard and ${panels.length} panel types written to ${out}`);
