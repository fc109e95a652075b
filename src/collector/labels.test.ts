import { describe, expect, it } from 'vitest';
import { envLabelPairs, parseLabels } from './labels';

describe('collector labels', () => {
  it('reads name=value pairs, the later winning, from the command line and CVSM_LABELS', () => {
    expect(parseLabels([...envLabelPairs('rack=a3, zone=b,'), 'zone=c', 'team=vision'])).toEqual({
      rack: 'a3',
      zone: 'c',
      team: 'vision',
    });
    expect(parseLabels([])).toEqual({});
  });

  it('refuses a pair without a name or a name the server would refuse, naming it', () => {
    expect(() => parseLabels(['rack'])).toThrow('label "rack": expected name=value');
    expect(() => parseLabels(['=a3'])).toThrow('expected name=value');
    expect(() => parseLabels(['9rack=a3'])).toThrow(/label "9rack": a label name is a letter/);
    expect(() => parseLabels(['__proto__=x'])).toThrow(/label "__proto__"/);
  });
});
