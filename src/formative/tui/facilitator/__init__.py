"""The facilitator's view of a workshop: one projected screen that runs the room."""
