#!/usr/bin/env bash
# Builds the 2024 honour roll of a district CPPCC committee (金山区政协) into the
# database file given as the first argument, through the honours command line.
# The names of the two sorted lists are entered in shuffled order, so the
# published order (按姓氏笔画排序) is really produced by the tool.
#
#   bash examples/jinshan-2024.sh roll.json
#   honours --db roll.json category list
set -euo pipefail
DB=${1:?usage: jinshan-2024.sh DATABASE.json}
HONOURS=${HONOURS:-honours}
h() { "$HONOURS" --db "$DB" "$@" >/dev/null; }

h settings set year 2024
h settings set date 2024-12
h settings set issuer 政协上海市金山区委员会
h settings set certificate-pattern "JSZX{year}-{serial:03d}"

PROPOSALS=区政协2024年度优秀提案
AWARD=区政协2024年度反映社情民意信息工作成绩突出单位和个人
h category add "$PROPOSALS" --kind work --sort manual
h category add "$AWARD" --kind person --sort manual
h category add 信息工作成绩突出单位 --parent "$AWARD" --kind unit --sort manual --columns 3 \
  --honour 区政协2024年度反映社情民意信息工作成绩突出单位
h category add 信息工作成绩突出个人 --parent "$AWARD" --kind person --sort manual \
  --honour 区政协2024年度反映社情民意信息工作成绩突出个人
PEOPLE="$AWARD/信息工作成绩突出个人"
h category add 市、区政协委员 --parent "$PEOPLE" --sort stroke
h category add 其他反映人 --parent "$PEOPLE" --sort stroke
h category add 社情民意信息工作人员 --parent "$PEOPLE" --sort manual

# title, proposer and the proposer's kind (a person is addressed 同志, a unit 你单位)
work() { h add "$PROPOSALS" "$1" --proposer "$2" --proposer-kind "$3"; }
work "做深“一粒米”文章，走乡村产业新“稻”路——关于金山稻米产业化发展的建议" 中国民主促进会上海市金山区委员会 unit
work "关于构建金山区低碳高效能源体系的建议" 金山区归国华侨联合会 unit
work "关于持续推进低效建设用地减量化，为转型塑造发展腾空间的建议" 区政协人口资源环境委员会 unit
work "关于聚焦职业教育综合改革，提升制造业人才储备的建议" 漕泾镇政协委员地区联络组 unit
work "关于金山区发展合成生物产业的建议" 区政协教科卫体委员会 unit
work "关于有效落实中试项目管理办法，促进化工新材料中试项目孵化的建议" 中国致公党上海市金山区委员会 unit
work "关于推进“洁美乡村”计划，改善乡村人居环境的建议" 金山区妇女联合会 unit
work "关于巩固国家生态文明建设示范区创建成果，加快“美丽海湾”建设的建议" 朱豪杰 person
work "关于金山区汇龙湖国际社区建设及发展的建议" 顾磊帆 person
work "关于提升湾区科创城孵化器能级的建议" 许华丽 person
work "关于朱泾镇健康路（新汇街-亭枫公路）交通组织调整方案的建议" 刘振 person
work "关于推动化工新材料产业升级，助力金山转型发展的建议" 常慧 person

# Units, in the published (manual) order, pasted as a grid with tabs.
printf '%s\t%s\t%s\n' \
  民革界别 民建界别 致公党界别 \
  农工党界别 民进界别 民盟界别 \
  九三学社界别 张堰镇地区联络组 朱泾镇地区联络组 \
  中共界别 医药卫生界别 漕泾镇地区联络组 \
  吕巷镇地区联络组 教育界别 枫泾镇地区联络组 \
  体育界别 | sed 's/\t*$//' | h add "$AWARD/信息工作成绩突出单位" -

# Shuffled on purpose: the tool puts them in stroke order.
h add "$PEOPLE/市、区政协委员" - <<'NAMES'
沈蓓雷
刘 倪
韩美珍
金丽丽
杨旦红
潘淑红
陆学峰
丁丽珍
董 伟
沈 沂
冒长青
邹佩佩
孙海美
刘新宇
葛翌雷
蔡东升
俞欢英
沈永华
吴依红
马 罡
郑 娟
樊文军
胡吉根
朱春燕
沈 燕
龚敬宇
刘 振
邱 晏
蒋 峰
徐春兰
杨 巍
金 健
顾美萍
张玉萍
吕东远
汪旭兵
沈桂红
NAMES

# Pasted as a grid (tabs between cells, two-character names padded), shuffled.
printf '%s\t%s\t%s\t%s\t%s\n' \
  '高 瑛' 曹丹蕾 陈建宇 '宋 宁' '付 铨' \
  郭晓峰 '张 枫' 姚仰南 杨纪伟 '陆 益' \
  '刘 峰' 宋颖童 '陈 佑' 朱志兰 '高 仙' | h add "$PEOPLE/其他反映人" -

# A manual list: entered in the order the office wants it printed.
printf '%s\t%s\t%s\t%s\t%s\n' \
  '刘 梅' 周哲衍 沈爱萍 吴玉晴 李成林 \
  潘宗星 沈林峰 陈莉影 顾菲菲 '邱 蓉' \
  刘小方 吉湛江 '朱 爱' 周源泉 费雯雯 \
  '孙 昊' | sed 's/\t*$//' | h add "$PEOPLE/社情民意信息工作人员" -
