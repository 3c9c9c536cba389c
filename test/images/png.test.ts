import { decodePng } from '../../src/images/png';
import { makePng } from '../factories/png';

it('decodes a PNG with or without the data: prefix', () => {
  const png = makePng(3, 2);
  for (const text of [png.toString('base64'), `data:image/png;base64,${png.toString('base64')}`]) {
    expect(decodePng(text, 1024)).toEqual({ bytes: png, width: 3, height: 2 });
  }
});

it('refuses base64 that carries whitespace, URL-safe or foreign characters, or padding inside', () => {
  const text = makePng(3, 2).toString('base64');
  const at = (i: number, c: string) => `${text.slice(0, i)}${c}${text.slice(i + 1)}`;
  const refused = [
    `${text.slice(0, 8)}\n${text.slice(8, -1)}`,
    at(12, ' '),
    at(12, '-'),
    at(12, '_'),
    at(12, '!'),
    at(12, 'é'),
    at(12, '='),
    `${text.slice(0, -4)}====`,
  ];
  for (const bad of refused) {
    expect(bad).toHaveLength(text.length);
    expect(decodePng(bad, 1024)).toEqual({ reason: 'is not valid base64' });
  }
});

it('refuses a PNG whose header checksum is wrong', () => {
  const png = makePng(3, 2);
  png[20] = 9;
  expect(decodePng(png.toString('base64'), 1024)).toEqual({ reason: 'has a corrupt PNG header' });
});
