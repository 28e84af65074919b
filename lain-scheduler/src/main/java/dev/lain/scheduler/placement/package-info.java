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
 *  constraint class (nodes matching the constraint set, computed once, indexed on first use)
 *                   │
 *                   ▼
 *  SpreadIndex: treap in spread order (free memory ↓, free CPU ↓, name ↑) with each subtree's
 *  largest free CPU; walk to the first node with enough CPU that neither holds the pod group nor
 *  is avoided; stop at the first node short of memory ── found ──► that node
 *                   │ none
 *                   ▼
 *  the few nodes that already hold the pod group: best feasible by the full spread key
 *                   │ none
 *                   ▼
 *  Unplaceable: counts and the closest nodes, in words (Reasons)
 * </pre>
 *
 * <p>Nodes that already hold an instance of the pod group are skipped by the index walk and looked
 * at only if nothing else fits, which is exact because the pod group count comes first in the
 * spread key. Each allocation or release moves the node within every index it belongs to.
 */
package dev.lain.scheduler.placement;
