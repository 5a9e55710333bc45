"""UrbanGrid: an open-source digital urban management platform (数字化城市管理信息系统)."""
