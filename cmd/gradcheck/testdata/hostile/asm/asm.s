// An assembly file: anything could be here.
