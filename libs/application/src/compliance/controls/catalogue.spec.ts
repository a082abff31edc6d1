import { FRAMEWORKS } from '@custos/contracts';
import { ComplianceRepository } from '@custos/persistence';
import { controlCatalogue, controlsFor as controlsOf } from '.';

// The catalogue itself needs no database: its controls only read when assessed.
const CONTROLS = controlCatalogue(new ComplianceRepository());
const controlsFor = (framework: Parameters<typeof controlsOf>[0]) => controlsOf(framework, CONTROLS);

describe('the control catalogue', () => {
  it('has unique kebab-case ids, and every control maps to at least one framework clause', () => {
    const ids = CONTROLS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const control of CONTROLS) {
      expect(control.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(Object.values(control.mappings).flat().length).toBeGreaterThan(0);
    }
  });

  it('gives every framework controls, in catalogue order', () => {
    for (const framework of FRAMEWORKS) {
      const controls = controlsFor(framework);
      expect(controls.length).toBeGreaterThan(2);
      expect(controls.map((c) => CONTROLS.indexOf(c))).toEqual([...controls.map((c) => CONTROLS.indexOf(c))].sort((a, b) => a - b));
    }
    expect(controlsFor('gdpr').map((c) => c.id)).toContain('consent-withdrawal-latency');
    expect(controlsFor('soc2').map((c) => c.id)).not.toContain('consent-binding');
    // Residency and transfers are GDPR Chapter V evidence; health data's fence is HIPAA's too.
    expect(controlsFor('gdpr').map((c) => c.id)).toEqual(expect.arrayContaining(['personal-data-residency', 'health-data-geofence', 'cross-border-transfers']));
    expect(controlsFor('hipaa').map((c) => c.id)).toContain('health-data-geofence');
    expect(controlsFor('pci_dss').map((c) => c.id)).not.toContain('cross-border-transfers');
  });
});
