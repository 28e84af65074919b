package dev.lain.scheduler.placement;

import dev.lain.model.deploy.NodeConstraint;
import java.util.BitSet;
import java.util.List;

/**
 * The nodes that match one set of constraints. Labels and whether a node takes new instances do not
 * change while a table lives, so the set is computed once.
 *
 * @param constraints the set, deduplicated and sorted
 * @param matching every matching node's number in name order, whether it takes new instances or not
 *     (for reasons)
 * @param eligible the matching nodes that take new instances
 * @param candidates the eligible nodes, searchable by spread key
 */
record ConstraintClass(
    List<NodeConstraint> constraints, int[] matching, BitSet eligible, Candidates candidates) {}
