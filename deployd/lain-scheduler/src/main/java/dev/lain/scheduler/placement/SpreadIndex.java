package dev.lain.scheduler.placement;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * Candidates kept in spread order in a treap: by level (for a pod group's own index, how many of
 * its instances the node holds; 0 for every node in a shared index), then most free memory, then
 * most free CPU, then node name. Subtrees know their largest free CPU and their highest level.
 *
 * <p>The best node for a request is the first in order with enough CPU and memory that is not
 * excluded. Within a level nodes come by falling free memory, so the first node short of memory
 * ends its level: the walk skips to the next level. A search costs O(log n) per level visited and
 * per excluded node passed.
 *
 * <p>Updates are lazy: the table {@linkplain #touch touches} a node whenever its resources or
 * counts change, and the index re-sorts touched nodes just before its next search. An index not
 * searched for a while costs one flag per touched node. Each slot keeps the key it is sorted under,
 * so a node can be taken out after the table has changed it.
 *
 * <p>Priorities are a fixed hash of the node number, so the tree's shape depends only on its
 * contents: the index is deterministic.
 */
final class SpreadIndex implements Candidates {
  private static final int NIL = -1;

  private final long[] freeMemory;
  private final long[] freeCpu;
  private final IntUnaryOperator level;
  private final int[] node;
  private final int[] slotOf;
  private final int[] left;
  private final int[] right;
  private final int[] priority;
  private final int[] keyLevel;
  private final long[] keyMemory;
  private final long[] keyCpu;
  private final long[] maxCpu;
  private final int[] maxLevel;
  private final boolean[] touched;
  private final int[] pending;
  private int pendingCount;
  private int root = NIL;
  private int splitLeft;
  private int splitRight;

  // The search in progress (fields rather than parameters: the walk is recursive and hot).
  private long wantMemory;
  private long wantCpu;
  private int minLevel;
  private IntPredicate excluded = n -> false;

  /**
   * @param members node numbers (distinct)
   * @param nodeCount how many nodes the table has
   * @param freeMemory free memory per node number, kept current by the table
   * @param freeCpu free CPU per node number, kept current by the table
   * @param level a node's level (non-negative), read when the node is (re-)sorted
   */
  SpreadIndex(
      int[] members, int nodeCount, long[] freeMemory, long[] freeCpu, IntUnaryOperator level) {
    this.freeMemory = freeMemory;
    this.freeCpu = freeCpu;
    this.level = level;
    int n = members.length;
    node = members.clone();
    slotOf = new int[nodeCount];
    Arrays.fill(slotOf, NIL);
    left = new int[n];
    right = new int[n];
    priority = new int[n];
    keyLevel = new int[n];
    keyMemory = new long[n];
    keyCpu = new long[n];
    maxCpu = new long[n];
    maxLevel = new int[n];
    touched = new boolean[n];
    pending = new int[n];
    for (int slot = 0; slot < n; slot++) {
      slotOf[node[slot]] = slot;
      priority[slot] = mix(node[slot]);
      insertSlot(slot);
    }
  }

  @Override
  public int best(long memory, long cpuMillis, IntPredicate excludedNodes) {
    flush();
    wantMemory = memory;
    wantCpu = cpuMillis;
    minLevel = 0;
    excluded = excludedNodes;
    int found = first(root);
    excluded = n -> false;
    return found == NIL ? NONE : found;
  }

  @Override
  public void touch(int n) {
    int slot = slotOf[n];
    if (slot != NIL && !touched[slot]) {
      touched[slot] = true;
      pending[pendingCount++] = slot;
    }
  }

  /** The node numbers in order (for tests). */
  int[] inOrder() {
    flush();
    int[] out = new int[node.length];
    int[] at = {0};
    walk(root, out, at);
    return Arrays.copyOf(out, at[0]);
  }

  private void walk(int t, int[] out, int[] at) {
    if (t == NIL) {
      return;
    }
    walk(left[t], out, at);
    out[at[0]++] = node[t];
    walk(right[t], out, at);
  }

  /** Re-sorts the touched nodes under their current keys. */
  private void flush() {
    for (int i = 0; i < pendingCount; i++) {
      int slot = pending[i];
      root = remove(root, slot);
      touched[slot] = false;
      insertSlot(slot);
    }
    pendingCount = 0;
  }

  /** The first fitting, not excluded node under {@code t} in order at minLevel or above; NIL. */
  private int first(int t) {
    if (t == NIL || maxCpu[t] < wantCpu || maxLevel[t] < minLevel) {
      return NIL;
    }
    int lvl = keyLevel[t];
    if (lvl >= minLevel) {
      int found = first(left[t]);
      if (found != NIL) {
        return found;
      }
    }
    if (lvl >= minLevel) {
      if (keyMemory[t] < wantMemory) {
        // Every later node of this level has no more memory: go on at the next level.
        minLevel = lvl + 1;
      } else if (keyCpu[t] >= wantCpu && !excluded.test(node[t])) {
        return node[t];
      }
    }
    return first(right[t]);
  }

  /** True if slot {@code a} comes before slot {@code b}. */
  private boolean before(int a, int b) {
    if (keyLevel[a] != keyLevel[b]) {
      return keyLevel[a] < keyLevel[b];
    }
    if (keyMemory[a] != keyMemory[b]) {
      return keyMemory[a] > keyMemory[b];
    }
    if (keyCpu[a] != keyCpu[b]) {
      return keyCpu[a] > keyCpu[b];
    }
    return node[a] < node[b];
  }

  private void insertSlot(int slot) {
    int n = node[slot];
    keyLevel[slot] = level.applyAsInt(n);
    keyMemory[slot] = freeMemory[n];
    keyCpu[slot] = freeCpu[n];
    left[slot] = NIL;
    right[slot] = NIL;
    pull(slot);
    root = insert(root, slot);
  }

  private int insert(int t, int slot) {
    if (t == NIL) {
      return slot;
    }
    if (priority[slot] > priority[t]) {
      split(t, slot);
      left[slot] = splitLeft;
      right[slot] = splitRight;
      pull(slot);
      return slot;
    }
    if (before(slot, t)) {
      left[t] = insert(left[t], slot);
    } else {
      right[t] = insert(right[t], slot);
    }
    pull(t);
    return t;
  }

  /** Splits {@code t} into the slots before {@code key} and the rest (splitLeft, splitRight). */
  private void split(int t, int key) {
    if (t == NIL) {
      splitLeft = NIL;
      splitRight = NIL;
      return;
    }
    if (before(t, key)) {
      split(right[t], key);
      right[t] = splitLeft;
      pull(t);
      splitLeft = t;
    } else {
      split(left[t], key);
      left[t] = splitRight;
      pull(t);
      splitRight = t;
    }
  }

  private int remove(int t, int slot) {
    if (t == slot) {
      return merge(left[t], right[t]);
    }
    if (before(slot, t)) {
      left[t] = remove(left[t], slot);
    } else {
      right[t] = remove(right[t], slot);
    }
    pull(t);
    return t;
  }

  private int merge(int a, int b) {
    if (a == NIL) {
      return b;
    }
    if (b == NIL) {
      return a;
    }
    if (priority[a] > priority[b]) {
      right[a] = merge(right[a], b);
      pull(a);
      return a;
    }
    left[b] = merge(a, left[b]);
    pull(b);
    return b;
  }

  private void pull(int t) {
    long cpu = keyCpu[t];
    if (left[t] != NIL) {
      cpu = Math.max(cpu, maxCpu[left[t]]);
    }
    if (right[t] != NIL) {
      cpu = Math.max(cpu, maxCpu[right[t]]);
    }
    maxCpu[t] = cpu;
    // Levels ascend in order: the highest is the rightmost's.
    maxLevel[t] = right[t] != NIL ? maxLevel[right[t]] : keyLevel[t];
  }

  private static int mix(int x) {
    int h = x * 0x9E3779B9;
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }
}
