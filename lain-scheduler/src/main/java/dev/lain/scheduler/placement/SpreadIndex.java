package dev.lain.scheduler.placement;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Candidates kept in spread order (most free memory, then most free CPU, then node name) in a treap
 * whose subtrees also know their largest free CPU. The best node for a request is then the first in
 * order with enough CPU that is not excluded; the walk stops at the first node short of memory,
 * because every later node has no more. A placement costs O(log n) plus O(log n) per excluded node
 * passed (nodes that already hold the pod group, avoided nodes).
 *
 * <p>Priorities are a fixed hash of the node number, so the tree's shape depends only on its
 * contents: the index is deterministic.
 */
final class SpreadIndex implements Candidates {
  private static final int NIL = -1;
  private static final int STOP = -2;

  private final long[] freeMemory;
  private final long[] freeCpu;
  private final int[] node;
  private final int[] slotOf;
  private final int[] left;
  private final int[] right;
  private final int[] priority;
  private final long[] maxCpu;
  private int root = NIL;
  private int splitLeft;
  private int splitRight;

  /**
   * @param members node numbers (distinct)
   * @param nodeCount how many nodes the table has
   * @param freeMemory free memory per node number, kept current by the table
   * @param freeCpu free CPU per node number, kept current by the table
   */
  SpreadIndex(int[] members, int nodeCount, long[] freeMemory, long[] freeCpu) {
    this.freeMemory = freeMemory;
    this.freeCpu = freeCpu;
    int n = members.length;
    node = members.clone();
    slotOf = new int[nodeCount];
    Arrays.fill(slotOf, NIL);
    left = new int[n];
    right = new int[n];
    priority = new int[n];
    maxCpu = new long[n];
    for (int slot = 0; slot < n; slot++) {
      slotOf[node[slot]] = slot;
      priority[slot] = mix(node[slot]);
      insertSlot(slot);
    }
  }

  @Override
  public int best(long memory, long cpuMillis, IntPredicate excluded) {
    int found = first(root, memory, cpuMillis, excluded);
    return found >= 0 ? found : NONE;
  }

  @Override
  public void detach(int n) {
    int slot = slotOf[n];
    if (slot != NIL) {
      root = remove(root, slot);
    }
  }

  @Override
  public void attach(int n) {
    int slot = slotOf[n];
    if (slot != NIL) {
      insertSlot(slot);
    }
  }

  /** The node numbers in spread order (for tests). */
  int[] inOrder() {
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

  /**
   * The first fitting, not excluded node under {@code t} in order; NIL if none; STOP past memory.
   */
  private int first(int t, long memory, long cpuMillis, IntPredicate excluded) {
    if (t == NIL || maxCpu[t] < cpuMillis) {
      return NIL;
    }
    int found = first(left[t], memory, cpuMillis, excluded);
    if (found != NIL) {
      return found;
    }
    int n = node[t];
    if (freeMemory[n] < memory) {
      return STOP;
    }
    if (freeCpu[n] >= cpuMillis && !excluded.test(n)) {
      return n;
    }
    return first(right[t], memory, cpuMillis, excluded);
  }

  /** True if slot {@code a} comes before slot {@code b} in spread order. */
  private boolean before(int a, int b) {
    int na = node[a];
    int nb = node[b];
    if (freeMemory[na] != freeMemory[nb]) {
      return freeMemory[na] > freeMemory[nb];
    }
    if (freeCpu[na] != freeCpu[nb]) {
      return freeCpu[na] > freeCpu[nb];
    }
    return na < nb;
  }

  private void insertSlot(int slot) {
    left[slot] = NIL;
    right[slot] = NIL;
    maxCpu[slot] = freeCpu[node[slot]];
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
    long m = freeCpu[node[t]];
    if (left[t] != NIL) {
      m = Math.max(m, maxCpu[left[t]]);
    }
    if (right[t] != NIL) {
      m = Math.max(m, maxCpu[right[t]]);
    }
    maxCpu[t] = m;
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
