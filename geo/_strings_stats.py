"""Interface strings of the timeline, rankings, Belt and Road and city pages: key -> (zh, en)."""

STRINGS: dict[str, tuple[str, str]] = {
    # Shared
    "st_year": ("年份", "Year"),
    "st_pairings": ("友城数", "Pairings"),
    "st_group": ("分组", "Group"),
    "st_unknown": ("不详", "Unknown"),
    "st_bri_none": ("非沿线国家", "Not on the list"),
    "st_name": ("名称", "Name"),
    "st_our_count": ("本数据友城数", "Pairings in this dataset"),
    "st_official": ("官方数字", "Official figure"),
    "st_official_date": ("官方数字日期", "Date of official figure"),
    "st_official_source": ("官方数字来源", "Source of official figure"),
    "st_date": ("日期", "Date"),
    "st_period": ("时段", "Period"),
    # Timeline
    "st_tl_intro": ("按结好年份统计当前筛选下的友城。年份不详的友城无法放入年度图表，下方会说明其数量。",
                    "Pairings of the current filters by the year they were signed. Pairings of unknown year cannot "
                    "go into a per-year chart; how many there are is stated below."),
    "st_split": ("分组依据", "Split by"),
    "st_split_era": ("时期", "Era"),
    "st_split_continent": ("对方大洲", "Partner continent"),
    "st_split_level": ("级别", "Level"),
    "st_split_bri": ("一带一路分组", "Belt and Road group"),
    "st_per_year_title": ("每年新结友城（仅计有确切年份者）", "Pairings signed per year (dated pairings only)"),
    "st_cum_title": ("累计：本数据中有年份的友城与官方全国总数", "Cumulative: dated pairings in this dataset and the "
                     "official national totals"),
    "st_series_ours": ("本数据累计（有年份者，当前筛选）", "This dataset, cumulative (dated, current filters)"),
    "st_series_official": ("官方全国总数", "Official national total"),
    "st_series": ("数据", "Series"),
    "st_dated_by_then": ("本数据当年已有（有年份者）", "Dated in this dataset by that year"),
    "st_cum_note": ("红点为官方公布的全国友城总数（当日所有正式友城，不受筛选影响），鼠标悬停可见日期和来源。"
                    "曲线为本数据中有确切年份的友城累计数；两者之差是本数据尚未收录或缺少年份的友城。",
                    "Red dots are the official national totals (all formal ties on that date, whatever the filters); "
                    "hover for date and source. The line is the running total of this dataset's dated pairings; "
                    "the gap is pairings this dataset lacks or cannot date."),
    "st_unknown_caption": ("当前显示的 {shown} 对友城中，有 {n} 对年份不详，因此未计入以上图表。",
                           "{n} of the {shown} pairings shown have no known year and are therefore not in these "
                           "charts."),
    "st_unknown_hidden": ("“包括年份不详的友城”已关闭：另有 {n} 对年份不详、其他条件相符的友城未显示。",
                          "'Include pairings of unknown year' is off: {n} more pairings of unknown year that match "
                          "the other filters are not shown."),
    "st_no_dated": ("当前筛选下没有有确切年份的友城，无法绘制年度图表。",
                    "None of the pairings shown has a known year, so there is no per-year chart."),
    "st_official_table": ("官方全国总数一览", "Official national totals"),
    "st_snapshot_title": ("某一年的友城网络", "The network as it stood in a given year"),
    "st_snapshot_year": ("截至年份", "As of year"),
    "st_snapshot_note": ("截至 {year} 年：符合当前筛选、有确切年份的友城 {n} 对。另有 {unknown} 对年份不详，"
                         "无法判断当时是否已结好，因此不在此图中。",
                         "As of {year}: {n} dated pairings match the current filters. A further {unknown} pairings "
                         "of unknown year exist and are excluded, since it cannot be told whether they existed "
                         "then."),
    # Rankings
    "st_rank_intro": ("按当前筛选统计友城最多的对方国家、中方省份和中方城市，并列出可得的最新官方数字。",
                      "Partner countries, Chinese provinces and Chinese cities with the most pairings under the "
                      "current filters, beside the latest official figure where one is known."),
    "st_rank_countries": ("对方国家", "Partner countries"),
    "st_rank_provinces": ("中方省份", "Chinese provinces"),
    "st_rank_cities": ("中方城市", "Chinese cities"),
    "st_rank_top": ("显示前几名", "How many to show"),
    "st_rank_caption": ("官方数字统计的是某一日期的正式友城总数（各来源口径可能不同，且不受筛选影响）；本数据不完整，"
                        "并随筛选变化，两列不宜直接相减。",
                        "Official figures count formal ties on a given date (sources differ in what they count, "
                        "and filters do not apply to them); this dataset is incomplete and follows the filters, so "
                        "the two columns are not directly comparable."),
    "st_rank_city_note": ("省级单位中只计北京、天津、上海、重庆四个直辖市。",
                          "Of the province-level units only the municipalities Beijing, Tianjin, Shanghai and "
                          "Chongqing count as cities."),
    "st_rank_chart_note": ("条形为本数据友城数，红色刻度为最新官方数字（如有）。",
                           "Bars are this dataset's pairings; red ticks are the latest official figure where known."),
    # Belt and Road
    "st_bri_intro": ("“一带一路”沿线65国是分析用的分组，并无官方正式名单。本项目采用的名单（data/bri_countries.csv）来源：{source}。",
                     "The 65 Belt and Road countries are an analytical grouping; no official list exists. The list "
                     "used here (data/bri_countries.csv) comes from: {source}."),
    "st_bri_table": ("各分组友城数（当前筛选）", "Pairings per group (current filters)"),
    "st_group_zh": ("分组（中文）", "Group (Chinese)"),
    "st_group_en": ("分组（英文）", "Group (English)"),
    "st_before_2013": ("2013年以前", "Before 2013"),
    "st_since_2013": ("2013年以来", "Since 2013"),
    "st_year_unknown_col": ("年份不详", "Year unknown"),
    "st_bri_pick": ("选择分组", "Choose a group"),
    "st_bri_periods": ("{group}：共 {n} 对；2013年以前结好 {before} 对，2013年以来 {since} 对，年份不详 {unknown} 对。",
                       "{group}: {n} pairings; {before} signed before 2013, {since} since 2013, {unknown} of "
                       "unknown year."),
    "st_bri_leading": ("友城最多的中方省份", "Chinese provinces with the most pairings"),
    "st_bri_map_note": ("地图只显示所选分组，左侧“一带一路分组”筛选在此被替换。",
                        "The map shows the chosen group only; it replaces the sidebar's Belt and Road filter."),
    "st_bri_group_empty": ("当前筛选下该分组没有友城。", "No pairings of this group match the current filters."),
    # City profiles
    "st_city_pick": ("选择城市（可输入中文或英文搜索）", "Choose a city (type to search, Chinese or English)"),
    "st_city_placeholder": ("输入城市名……", "Type a city name…"),
    "st_city_hint": ("可选择任一中方或外方城市，查看其全部友城。链接可分享（?city=…）。",
                     "Choose any Chinese or foreign city to see all its partners. The link can be shared "
                     "(?city=…)."),
    "st_city_filters_note": ("城市档案列出该城市的全部友城，不受左侧筛选影响。",
                             "A city profile lists all of the city's pairings; the sidebar filters do not apply."),
    "st_city_partners": ("友城（{n} 对）", "Partners ({n})"),
    "st_city_side_cn": ("中方", "Chinese side"),
    "st_city_side_partner": ("外方", "Foreign side"),
    "st_partner": ("友城", "Partner"),
    "st_where": ("所在地", "Where"),
    "st_levels": ("级别（本方—对方）", "Levels (this side – partner)"),
    "st_tie": ("关系类型", "Kind of tie"),
    "st_date_source": ("日期来源", "Date source"),
    "st_dated_n": ("有确切年份", "With known year"),
    "st_first_year": ("最早结好年份", "Earliest known year"),
    "st_city_cases": ("书中案例", "Case studies in the book"),
    "st_city_unplaced": ("{n} 对友城缺少坐标，未画在地图上。", "{n} pairings lack coordinates and are not drawn."),
    "st_tie_formal": ("正式友城", "formal"),
    "st_tie_exchange": ("友好交流关系", "friendly exchange"),
    "st_tie_unknown": ("不详", "unknown"),
    "st_lvl_province": ("省级", "province"),
    "st_lvl_prefecture": ("地级市", "prefecture city"),
    "st_lvl_county": ("县", "county"),
    "st_lvl_district": ("区", "district"),
    "st_lvl_state": ("省/州", "state/province"),
    "st_lvl_city": ("市", "city"),
    "st_lvl_unknown": ("不详", "unknown"),
}
