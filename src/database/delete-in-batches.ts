import { FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';

const BATCH = 5000;
// 5,000 × 2,000 = 10 M rows per call at most; a bigger backlog continues on the next run.
const MAX_BATCHES = 2000;

/**
 * Deletes the rows matching `where` a batch at a time (ids first, then a delete by id: `DELETE …
 * LIMIT` is not portable), so no statement holds locks for long. Returns how many were deleted.
 */
export async function deleteInBatches<T extends ObjectLiteral & { id: number }>(
  repository: Repository<T>,
  where: FindOptionsWhere<T>,
): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const rows = await repository.find({
      select: { id: true } as never,
      where,
      order: { id: 'ASC' } as never,
      take: BATCH,
    });
    if (rows.length === 0) break;
    await repository.delete(rows.map((row) => row.id));
    deleted += rows.length;
    if (rows.length < BATCH) break;
  }
  return deleted;
}
