#!/usr/bin/env node
// Checks that compose.yaml's Grafana and the repository's dashboards/ fit together (Docker would start
// Grafana anyway, with empty directories where a source is missing, and a data source whose address is
// an unexpanded variable). Input: `docker-compose config` output (paths resolved, variables filled in).
//   - every bind mount of the grafana service whose source is in the repository exists;
//   - every $VAR / ${VAR} in the provisioned data source files is in Grafana's environment;
//   - every provisioned dashboard provider's options.path is a mounted directory holding *.json.
//
// Usage: node compose-grafana.js RESOLVED_COMPOSE_YAML REPOSITORY_ROOT
// Exit status: 0 all fit; 1 a problem (each on one line); 2 bad usage.
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const [resolved, repo] = process.argv.slice(2);
if (!resolved || !repo) {
  process.stderr.write('Usage: node compose-grafana.js RESOLVED_COMPOSE_YAML REPOSITORY_ROOT\n');
  process.exit(2);
}

const problems = [];
const compose = YAML.parse(fs.readFileSync(resolved, 'utf8'));
const grafana = compose.services && compose.services.grafana;
if (!grafana) {
  process.stdout.write('PROBLEM compose.yaml has no grafana service\n');
  process.exit(1);
}

// volumes in docker-compose 1.29's resolved form "SOURCE:TARGET[:MODE]", or the long form
const mounts = (grafana.volumes || []).map((v) => {
  if (typeof v === 'string') {
    const [source, target] = v.split(':');
    return { source, target };
  }
  return { source: v.source, target: v.target };
}).filter((m) => path.isAbsolute(m.source || ''));

const root = path.resolve(repo);
for (const m of mounts) {
  if (m.source.startsWith(root + path.sep) && !fs.existsSync(m.source)) {
    problems.push(`grafana mounts ${path.relative(root, m.source)} at ${m.target}, and it does not exist`);
  }
}

const environment = new Set(Array.isArray(grafana.environment)
  ? grafana.environment.map((e) => e.split('=')[0])
  : Object.keys(grafana.environment || {}));

function mountedDir(target) {
  const m = mounts.find((x) => x.target === target);
  return m && fs.existsSync(m.source) && fs.statSync(m.source).isDirectory() ? m.source : null;
}

function yamlFiles(dir) {
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));
}

const datasources = mountedDir('/etc/grafana/provisioning/datasources');
if (!datasources) {
  problems.push('no directory mounted at /etc/grafana/provisioning/datasources');
} else {
  let count = 0;
  for (const file of yamlFiles(datasources)) {
    const text = fs.readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    count += (YAML.parse(text).datasources || []).length;
    for (const match of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)) {
      if (!environment.has(match[1]) && !match[1].startsWith('__')) {
        problems.push(`${path.relative(root, file)} uses $${match[1]}, which compose.yaml does not give Grafana`);
      }
    }
  }
  if (count === 0) {
    problems.push(`no data source in ${path.relative(root, datasources)}`);
  }
}

const providers = mountedDir('/etc/grafana/provisioning/dashboards');
let dashboards = 0;
if (!providers) {
  problems.push('no directory mounted at /etc/grafana/provisioning/dashboards');
} else {
  for (const file of yamlFiles(providers)) {
    for (const provider of YAML.parse(fs.readFileSync(file, 'utf8')).providers || []) {
      const wanted = provider.options && provider.options.path;
      const dir = wanted ? mountedDir(wanted) : null;
      if (!dir) {
        problems.push(`${path.relative(root, file)}: provider ${provider.name} reads ${wanted}, where compose.yaml mounts no directory`);
        continue;
      }
      const json = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
      if (json.length === 0) {
        problems.push(`${path.relative(root, dir)} (provider ${provider.name}) holds no dashboard JSON`);
      }
      dashboards += json.length;
    }
  }
}

for (const problem of problems) {
  process.stdout.write(`PROBLEM ${problem}\n`);
}
process.stdout.write(problems.length === 0
  ? `grafana: ${mounts.length} repository mounts exist, the data source's variables are set, ${dashboards} dashboards where the provider reads\n`
  : `grafana: ${problems.length} problems\n`);
process.exit(problems.length === 0 ? 0 : 1);
