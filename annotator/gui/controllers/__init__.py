"""What the keys and menus do: the table of actions, editing spans, making relations,
suggestions, review (sending work back included), a document sent back for correction, and
the project flows (open, import, export). Each controller is given the
narrow things it uses by the main window, which composes them; none imports the window.
"""
