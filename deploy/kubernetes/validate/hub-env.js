#!/usr/bin/env node
// Checks that every SS_HUB_* environment variable the deployment files set names an option of the
// hub: the hub applies SS_HUB_<OPTION PATH> to the option at that path and ignores a name that
// matches none, so a misspelt secret's name would silently leave the option empty.
// The options are the keys of hub-server/config/hub.example.yaml (which lists every option), named
// as the hub names them (YamlConfigLoader.envName: dots to '_', camelCase to SNAKE, upper case).
//
// Usage: node hub-env.js HUB_EXAMPLE_YAML FILE...   Exit status: 0 all known, 1 an unknown name.
'use strict';

const fs = require('fs');
const YAML = require('yaml');

const [example, ...files] = process.argv.slice(2);
if (!example || files.length === 0) {
  process.stderr.write('Usage: node hub-env.js HUB_EXAMPLE_YAML FILE...\n');
  process.exit(2);
}

function envName(path) {
  return `SS_HUB_${path.replace(/\./g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

// every leaf of the example's mappings (a list or a scalar is a leaf: the hub overrides it whole)
const known = new Set();
(function walk(node, path) {
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    for (const [key, value] of Object.entries(node)) {
      walk(value, path === '' ? key : `${path}.${key}`);
    }
  } else if (path !== '') {
    known.add(envName(path));
  }
}(YAML.parse(fs.readFileSync(example, 'utf8')), ''));

let unknown = 0;
let seen = 0;
for (const file of files) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, index) => {
    if (/^\s*#/.test(line)) {
      return; // comments may name variables as examples
    }
    for (const match of line.matchAll(/\bSS_HUB_[A-Z0-9_]+/g)) {
      seen++;
      if (!known.has(match[0])) {
        unknown++;
        process.stdout.write(`UNKNOWN ${file}:${index + 1}: ${match[0]} names no option of ${example}\n`);
      }
    }
  });
}
process.stdout.write(`${seen} SS_HUB_* names in ${files.length} files: ${unknown === 0 ? 'all name options' : `${unknown} unknown`} (${known.size} options known)\n`);
process.exit(unknown === 0 ? 0 : 1);
