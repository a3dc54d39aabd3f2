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
	if n == nil {
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
		if n == nil {
			return false
		}
		return walk(n.Expr, f)
	case *CompoundObservation:
		if n == nil {
			return false
		}
		for _, e := range n.Operands {
			if walk(e, f) {
				return true
			}
		}
	case *GroupedObservation:
		if n == nil {
			return false
		}
		return walk(n.Expr, f)
	case *QualifiedObservation:
		if n == nil {
			return false
		}
		return walk(n.Expr, f)
	case *CompoundComparison:
		if n == nil {
			return false
		}
		for _, e := range n.Operands {
			if walk(e, f) {
				return true
			}
		}
	case *GroupedComparison:
		if n == nil {
			return false
		}
		return walk(n.Expr, f)
	}
	return false
}
