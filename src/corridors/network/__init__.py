"""The multimodal network of a scenario (`graph`), sea legs (`sea`) and routing (`routing`)."""
