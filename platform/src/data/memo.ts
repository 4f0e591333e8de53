/**
 * Remembers `compute`'s answer for the last `size` distinct keys (oldest first out): for work
 * that depends on the key alone and repeats, such as parsing the operation every subscriber of
 * one screen sends.
 */
export function boundedMemo<Key, Value>(size: number, compute: (key: Key) => Value) {
  const answers = new Map<Key, Value>();
  return (key: Key): Value => {
    if (answers.has(key)) return answers.get(key)!;
    const answer = compute(key);
    if (answers.size >= size) answers.delete(answers.keys().next().value!);
    answers.set(key, answer);
    return answer;
  };
}
