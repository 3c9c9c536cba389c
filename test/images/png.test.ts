import { decodePng } from '../../src/images/png';
import { makePng } from '../factories/png';

it('decodes a PNG with or without the data: prefix', () => {
  const png = makePng(3, 2);
  for (const text of [png.toString('base64'), `data:image/png;base64,${png.toString('base64')}`]) {
    expect(decodePng(text, 1024)).toEqual({ bytes: png, width: 3, height: 2 });
  }
});

it('refuses base64 that carries whitespace or URL-safe characters', () => {
  const text = makePng(3, 2).toString('base64');
  expect(decodePng(`${text.slice(0, 8)}\n${text.slice(8)}`, 1024)).toEqual({ reason: 'is not valid base64' });
  expect(decodePng(text.replace(/\+/g, '-').replace(/\//g, '_') + '-', 1024)).toEqual({ reason: 'is not valid base64' });
});

it('refuses a PNG whose header checksum is wrong', () => {
  const png = makePng(3, 2);
  png[20] = 9;
  expect(decodePng(png.toString('base64'), 1024)).toEqual({ reason: 'has a corrupt PNG header' });
});
