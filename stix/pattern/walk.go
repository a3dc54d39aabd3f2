package pattern

// Walk calls fn for every comparison of p in source order and stops early
// when fn returns false.
func Walk(p *Pattern, fn func(c *Comparison) bool) {
	if p == nil || p.Expr == nil {
		return
	}
	walk(p.Expr, func(n Node) (descend, stop bool) {
		if c, ok := n.(*Comparison); ok {
			return false, !fn(c)
		}
		return true, false
	})
}

// Inspect traverses the tree rooted at n depth-first in source order,
// calling f for each node (observation and comparison expressions), like
// go/ast.Inspect: when f returns false, the node's children are skipped.
func Inspect(n Node, f func(Node) bool) {
	walk(n, func(n Node) (bool, bool) { return f(n), false })
}

// walk returns true when the traversal must stop.
func walk(n Node, f func(Node) (descend, stop bool)) bool {
	if isNil(n) {
		return false
	}
	descend, stop := f(n)
	if stop {
		return true
	}
	if !descend {
		return false
	}
	switch n := n.(type) {
	case *SimpleObservation:
		return walk(n.Expr, f)
	case *CompoundObservation:
		for _, e := range n.Operands {
			if walk(e, f) {
				return true
			}
		}
	case *GroupedObservation:
		return walk(n.Expr, f)
	case *QualifiedObservation:
		return walk(n.Expr, f)
	case *CompoundComparison:
		for _, e := range n.Operands {
			if walk(e, f) {
				return true
			}
		}
	case *GroupedComparison:
		return walk(n.Expr, f)
	}
	return false
}

// isNil reports a nil interface or a typed nil node pointer.
func isNil(n Node) bool {
	switch n := n.(type) {
	case nil:
		return true
	case *SimpleObservation:
		return n == nil
	case *CompoundObservation:
		return n == nil
	case *GroupedObservation:
		return n == nil
	case *QualifiedObservation:
		return n == nil
	case *Comparison:
		return n == nil
	case *CompoundComparison:
		return n == nil
	case *GroupedComparison:
		return n == nil
	}
	return false
}
