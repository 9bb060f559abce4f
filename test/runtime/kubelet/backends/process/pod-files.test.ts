/** The pod's /etc/hosts as the kubelet writes it (managedHostsFileContent), and its resolv.conf. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { managedHostsFile, podHostname, writePodFiles } from '../../../../../runtime/kubelet/backends/process/pod-files.ts';
import { testPod } from './fixtures.ts';

const HEADER = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

describe('managedHostsFile', () => {
  it('names the pod at its IP', () => {
    expect(managedHostsFile(testPod({}, 'web-1'), '127.200.1.9')).toBe(`${HEADER}127.200.1.9\tweb-1\n`);
  });

  it('uses hostname and subdomain for the FQDN, then the hostAliases block', () => {
    const pod = testPod({ hostname: 'db-0', subdomain: 'db', hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.remote', 'bar.remote'] }] }, 'db-xyz');
    expect(managedHostsFile(pod, '127.200.1.10')).toBe(
      `${HEADER}127.200.1.10\tdb-0.db.default.svc.cluster.local\tdb-0\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\tbar.remote\n`,
    );
  });

  it('uses the cluster domain it is given (kite up --cluster-domain)', () => {
    expect(managedHostsFile(testPod({ hostname: 'db-0', subdomain: 'db' }, 'db-xyz'), '127.200.1.10', 'kite.test')).toBe(`${HEADER}127.200.1.10\tdb-0.db.default.svc.kite.test\tdb-0\n`);
  });

  it('cuts a long pod name to 63 characters for the hostname', () => {
    expect(podHostname(testPod({}, 'a'.repeat(62) + '-bcd'))).toBe('a'.repeat(62));
  });
});

describe('writePodFiles', () => {
  it('writes the ClusterFirst resolv.conf and reports no warning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kite-podfiles-'));
    try {
      const r = await writePodFiles(dir, testPod({}, 'web-1'), '127.200.1.9', { clusterDNS: ['127.96.0.10'], clusterDomain: 'cluster.local', hostResolvConf: 'nameserver 10.0.0.1\n' });
      expect(await readFile(r.resolvConf, 'utf8')).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 127.96.0.10\noptions ndots:5\n');
      expect(await readFile(r.hosts, 'utf8')).toBe(`${HEADER}127.200.1.9\tweb-1\n`);
      expect(r.warnings).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
