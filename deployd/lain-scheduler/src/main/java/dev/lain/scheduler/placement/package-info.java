/**
 * Placement: which node gets each new instance. Pure (no I/O, no clock, no threads) and
 * deterministic.
 *
 * <h2>Vocabulary</h2>
 *
 * <ul>
 *   <li>{@link dev.lain.scheduler.placement.NodeView}: a node as placement sees it (capacity,
 *       labels, what is allocated, whether it takes new instances, instances per pod group).
 *   <li>{@link dev.lain.scheduler.placement.PlacementRequest}: one instance to place (size,
 *       constraints, a required node for pinned instances, nodes to avoid).
 *   <li><em>Feasible</em> node: takes new instances, matches every constraint (a node without the
 *       label matches {@code !=} only), has the request free, is not avoided, and is the required
 *       node when there is one.
 *   <li><em>Spread key</em>: among feasible nodes, the fewest instances of the request's pod group,
 *       then the most free memory after placement, then the most free CPU, then the node name.
 *   <li>{@link dev.lain.scheduler.placement.Placement}: the working table for one planning pass.
 *       {@code placeGroup} is all-or-nothing; {@code release} frees what an instance leaving a node
 *       held.
 * </ul>
 *
 * <h2>How a request is placed</h2>
 *
 * <pre>
 *  request ──► required node? ──yes──► feasible? ──► that node, or Unplaceable (why that node not)
 *                   │ no
 *                   ▼
 *  constraint class: the nodes matching the constraint set (computed once per set)
 *                   │
 *                   ▼
 *  pod group on many nodes (Tuning.groupIndexFrom)? ──yes──► its own SpreadIndex, ordered by its
 *                   │ no                                     instance count, then as below: the
 *                   ▼                                        first fit is the answer
 *  the class's shared SpreadIndex, ordered by free memory ↓, free CPU ↓, name ↑: the first node
 *  with enough CPU and memory that neither holds the pod group nor is avoided ── found ──► it
 *                   │ none
 *                   ▼
 *  the few nodes that already hold the pod group: best feasible by the full spread key
 *                   │ none
 *                   ▼
 *  Unplaceable: counts and the closest nodes, in words (Reasons)
 * </pre>
 *
 * <p>A {@link dev.lain.scheduler.placement.SpreadIndex} is a treap whose subtrees know their
 * largest free CPU: the walk skips subtrees without enough CPU and ends a level at the first node
 * short of memory, so a search is about O(log n). Skipping the holders in the shared index is exact
 * because the pod group count comes first in the spread key; a pod group spread over many nodes
 * gets its own index so that the walk does not pass them all. Indexes are updated lazily: a change
 * to a node only flags it, and an index re-sorts its flagged nodes before it is searched.
 */
package dev.lain.scheduler.placement;
