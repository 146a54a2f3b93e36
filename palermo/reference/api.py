def register(router):  # placeholder until the reference API lands
    pass
