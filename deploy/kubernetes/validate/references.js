#!/usr/bin/env node
// Checks that the manifests refer to each other correctly, which no schema sees and the API server
// accepts anyway (a Service whose selector matches no pod simply has no endpoints):
//   - every namespaced object is in the Namespace the files create;
//   - Service and PodDisruptionBudget selectors match the Deployment's pod labels; a Service's named
//     targetPort is a container port of those pods; the HorizontalPodAutoscaler targets the Deployment;
//   - an Ingress backend names a Service and one of its ports;
//   - ConfigMaps and Secrets a pod mounts or reads exist in the files (or are among those --by-hand
//     names, made with kubectl), with the keys it reads (subPath, secretKeyRef, configMapKeyRef).
//
// Usage: node references.js [--by-hand kind/name,...] FILE_OR_DIR...
// Exit status: 0 all resolve; 1 a problem (each on one line); 2 bad usage.
'use strict';

const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const args = process.argv.slice(2);
const byHand = new Set();
const inputs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--by-hand') {
    (args[++i] || '').split(',').filter(Boolean).forEach((x) => byHand.add(x.toLowerCase()));
  } else {
    inputs.push(args[i]);
  }
}
if (inputs.length === 0) {
  process.stderr.write('Usage: node references.js [--by-hand kind/name,...] FILE_OR_DIR...\n');
  process.exit(2);
}

const docs = [];
for (const input of inputs) {
  const files = fs.statSync(input).isDirectory()
    ? fs.readdirSync(input).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(input, f))
    : [input];
  for (const file of files) {
    YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).forEach((d, i) => {
      const doc = d.toJS();
      if (doc && doc.kind) {
        docs.push({ where: `${file}#${i + 1} ${doc.kind}/${doc.metadata && doc.metadata.name}`, doc });
      }
    });
  }
}

const problems = [];
const of = (kind) => docs.filter((d) => d.doc.kind === kind);
const find = (kind, name) => docs.find((d) => d.doc.kind === kind && d.doc.metadata.name === name);
const subset = (selector, labels) => Object.entries(selector || {}).every(([k, v]) => labels[k] === v);

const namespaces = of('Namespace').map((d) => d.doc.metadata.name);
for (const { where, doc } of docs) {
  if (doc.kind !== 'Namespace' && namespaces.length > 0 && !namespaces.includes(doc.metadata.namespace)) {
    problems.push(`${where}: namespace ${doc.metadata.namespace} is not the files' namespace (${namespaces.join(', ')})`);
  }
}

const deployments = of('Deployment');
const podLabels = deployments.map((d) => ({ d, labels: (d.doc.spec.template.metadata || {}).labels || {} }));
const podsMatching = (selector) => podLabels.filter((p) => Object.keys(selector || {}).length > 0 && subset(selector, p.labels));

for (const { where, doc } of of('Service')) {
  if (doc.spec.type === 'ExternalName') {
    continue;
  }
  const pods = podsMatching(doc.spec.selector);
  if (pods.length === 0) {
    problems.push(`${where}: selector ${JSON.stringify(doc.spec.selector)} matches no Deployment's pods`);
    continue;
  }
  for (const port of doc.spec.ports || []) {
    if (typeof port.targetPort === 'string') {
      const named = pods.some((p) => p.d.doc.spec.template.spec.containers
        .some((c) => (c.ports || []).some((cp) => cp.name === port.targetPort)));
      if (!named) {
        problems.push(`${where}: targetPort ${port.targetPort} is no container port of its pods`);
      }
    }
  }
}
for (const { where, doc } of of('PodDisruptionBudget')) {
  if (podsMatching(doc.spec.selector && doc.spec.selector.matchLabels).length === 0) {
    problems.push(`${where}: selector matches no Deployment's pods`);
  }
}
for (const { where, doc } of of('HorizontalPodAutoscaler')) {
  const ref = doc.spec.scaleTargetRef;
  if (!find(ref.kind, ref.name)) {
    problems.push(`${where}: scaleTargetRef ${ref.kind}/${ref.name} is not in the files`);
  }
}
for (const { where, doc } of of('Ingress')) {
  for (const rule of doc.spec.rules || []) {
    for (const p of (rule.http && rule.http.paths) || []) {
      const backend = p.backend.service;
      const service = find('Service', backend.name);
      if (!service) {
        problems.push(`${where}: backend Service ${backend.name} is not in the files`);
      } else if (backend.port.name && !(service.doc.spec.ports || []).some((sp) => sp.name === backend.port.name)) {
        problems.push(`${where}: Service ${backend.name} has no port named ${backend.port.name}`);
      }
    }
  }
  for (const tls of doc.spec.tls || []) {
    checkObject(where, 'Secret', tls.secretName, []);
  }
}

// a ConfigMap or Secret (in the files, or made by hand) with these keys
function checkObject(where, kind, name, keys) {
  const found = find(kind, name);
  if (!found) {
    if (!byHand.has(`${kind}/${name}`.toLowerCase())) {
      problems.push(`${where}: ${kind} ${name} is neither in the files nor made by hand (--by-hand)`);
    }
    return;
  }
  const data = Object.assign({}, found.doc.data, found.doc.stringData, found.doc.binaryData);
  for (const key of keys) {
    if (!(key in data)) {
      problems.push(`${where}: ${kind} ${name} has no key ${key}`);
    }
  }
}

for (const { where, doc } of deployments) {
  const pod = doc.spec.template.spec;
  const volumes = new Map((pod.volumes || []).map((v) => [v.name, v]));
  for (const c of pod.containers.concat(pod.initContainers || [])) {
    for (const m of c.volumeMounts || []) {
      const v = volumes.get(m.name);
      if (!v) {
        problems.push(`${where}: container ${c.name} mounts ${m.name}, which is no volume of the pod`);
      } else if (v.configMap) {
        checkObject(where, 'ConfigMap', v.configMap.name, m.subPath ? [m.subPath] : []);
      } else if (v.secret) {
        checkObject(where, 'Secret', v.secret.secretName, m.subPath ? [m.subPath] : []);
      }
    }
    for (const e of c.env || []) {
      const from = e.valueFrom || {};
      if (from.secretKeyRef) {
        checkObject(where, 'Secret', from.secretKeyRef.name, [from.secretKeyRef.key]);
      }
      if (from.configMapKeyRef) {
        checkObject(where, 'ConfigMap', from.configMapKeyRef.name, [from.configMapKeyRef.key]);
      }
    }
  }
}

for (const problem of problems) {
  process.stdout.write(`PROBLEM ${problem}\n`);
}
process.stdout.write(`references: ${docs.length} objects, ${problems.length === 0 ? 'all resolve' : `${problems.length} problems`}\n`);
process.exit(problems.length === 0 ? 0 : 1);
