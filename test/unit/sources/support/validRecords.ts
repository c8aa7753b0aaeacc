// For source tests whose fake answers only valid records: the records, after checking that none was
// left out.
import { strict as assert } from 'node:assert';
import type { CheckedRecords } from '../../../../src/sources/http/remoteRecords';

export async function validRecords<T>(fetched: Promise<CheckedRecords<T>>): Promise<T[]> {
  const { records, problems } = await fetched;
  assert.deepEqual(problems, [], 'no record was left out');
  return records;
}
